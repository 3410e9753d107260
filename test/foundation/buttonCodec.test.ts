import { describe, expect, it } from 'vitest';
import { createRouter } from '../../commands/index.js';
import { defineButtons, field } from '../../src/core/buttonCodec.js';

const dl = defineButtons('dl', {
  done: { deadlineId: field.id, unitId: field.id },
  info: { deadlineId: field.id, unitId: field.optional(field.id) },
  ask: { on: field.flag, hours: field.optional(field.int(1, 336)) },
  p: { page: field.int(0, 999), query: field.rest(40) },
  r: { role: field.oneOf('bi_thu', 'all') },
});

const unpack = (data: string) => dl.unpack(data.split(':').slice(1));

describe('button codec', () => {
  it('packs typed values and unpacks them back', () => {
    expect(dl.pack('done', { deadlineId: 12, unitId: 7 })).toBe('dl:done:12:7');
    expect(unpack('dl:done:12:7')).toEqual({ action: 'done', data: { deadlineId: 12, unitId: 7 } });
    expect(dl.pack('info', { deadlineId: 3, unitId: undefined })).toBe('dl:info:3');
    expect(unpack('dl:info:3')).toEqual({ action: 'info', data: { deadlineId: 3, unitId: undefined } });
    expect(unpack('dl:ask:1:48')).toEqual({ action: 'ask', data: { on: true, hours: 48 } });
    expect(unpack('dl:p:2:nghi quyet: 35')).toEqual({ action: 'p', data: { page: 2, query: 'nghi quyet: 35' } });
    expect(unpack('dl:p:0')).toEqual({ action: 'p', data: { page: 0, query: '' } });
  });

  it('refuses forged, stale and out-of-range data instead of passing it on', () => {
    for (const bad of [
      'dl:done:abc:7',
      'dl:done:1',
      'dl:done:1:7:9',
      'dl:done:0:7',
      'dl:done:1e3:7',
      'dl:done:99999999999:1',
      'dl:ask:1:-5',
      'dl:ask:1:1000000000000',
      'dl:ask:2',
      'dl:r:admin',
      'dl:nope:1',
      'dl:',
      'dl:constructor',
    ]) {
      expect(unpack(bad), bad).toBeNull();
    }
  });

  it('will not pack a value that breaks the format or the 64-byte limit', () => {
    expect(() => dl.pack('r', { role: 'x:y' as 'all' })).toThrow();
    expect(() => dl.pack('p', { page: 1, query: 'đ'.repeat(40) })).toThrow(/64/);
  });
});

describe('registry', () => {
  it('refuses two commands, button prefixes or flows with one name', () => {
    const run = async () => undefined;
    expect(() => createRouter([{ commands: [{ name: 'toi', access: 'linked', run }] }])).toThrow(/duplicate command "toi"/);
    const dlButtons = { buttons: [{ prefix: 'dl', access: 'linked' as const, run }] };
    expect(() => createRouter([dlButtons, dlButtons])).toThrow(/duplicate button prefix "dl"/);
    const flow = { flows: [{ name: 'x.new', access: 'linked' as const, onText: run }] };
    expect(() => createRouter([flow, flow])).toThrow(/duplicate flow "x.new"/);
    expect(() => createRouter([dlButtons])).not.toThrow();
  });
});
