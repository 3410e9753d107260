import { defineButtons } from '../../src/core/buttonCodec.js';

/** `flow:go`: "▶️ Tiếp tục …" under the notice that a flow was set aside by another command. */
export const flowButtons = defineButtons('flow', { go: {} });
