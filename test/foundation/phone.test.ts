import { describe, expect, it } from 'vitest';
import { displayPhone, normalizePhone } from '../../src/domain/phone.js';

describe('normalizePhone', () => {
  it('treats the usual ways of writing one number as one', () => {
    for (const p of ['0912 345 678', '+84912345678', '84912345678', '0912.345.678', '(+84) 912-345-678', '+84 0912345678']) {
      expect(normalizePhone(p), p).toBe('+84912345678');
    }
  });
  it('accepts landlines with a 2x area code', () => {
    expect(normalizePhone('028 3829 1234')).toBe('+842838291234');
  });
  it('refuses what is not a Vietnamese number', () => {
    for (const p of ['', 'abc', '12345', '0912 345 67', '+1 212 555 0100', '0612345678', '09123456789']) {
      expect(normalizePhone(p), p).toBeNull();
    }
  });
  it('prints the local form', () => {
    expect(displayPhone('+84912345678')).toBe('0912 345 678');
  });
});
