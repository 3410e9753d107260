import { describe, expect, it } from 'vitest';
import { shorten } from '../../src/core/shorten.js';

describe('shorten', () => {
  const label = 'Báo cáo tình hình chi bộ Quý IV/2026 — Chi bộ 1 (Phòng Tuyên truyền)';

  it('keeps a text that fits', () => {
    expect(shorten('Chi bộ 1', 8)).toBe('Chi bộ 1');
    expect(shorten(label, [...label].length)).toBe(label);
  });

  it('cuts after the last whole word, with "…", within the limit', () => {
    expect(shorten(label, 64)).toBe('Báo cáo tình hình chi bộ Quý IV/2026 — Chi bộ 1 (Phòng Tuyên…');
    expect([...shorten(label, 64)].length).toBeLessThanOrEqual(64);
    expect(shorten('Chi bộ 1 (Phòng Tuyên truyền)', 21)).toBe('Chi bộ 1 (Phòng…');
  });

  it('keeps a whole word that ends exactly at the limit', () => {
    expect(shorten('một hai ba bốn', 8)).toBe('một hai…');
  });

  it('drops a dangling dash or bracket before the ellipsis', () => {
    expect(shorten('Quý IV/2026 — Chi bộ 1', 14)).toBe('Quý IV/2026…');
    expect(shorten('Chi bộ 1 (Phòng Tuyên truyền)', 11)).toBe('Chi bộ 1…');
  });

  it('counts Vietnamese letters and emoji as one character and cuts a very long word inside', () => {
    expect(shorten('📋 Đảng bộ', 9)).toBe('📋 Đảng bộ');
    expect(shorten('https://tuyengiao.example.vn/tai-lieu/bao-cao', 20)).toBe('https://tuyengiao.e…');
    expect(shorten('abc', 1)).toBe('…');
  });
});
