/**
 * Vietnamese phone numbers in one canonical form, +84XXXXXXXXX, so that "0912 345 678",
 * "+84912345678" and "84912345678" are one person. libphonenumber would be heavier than the
 * three rules we need for one country's mobile and landline numbers.
 */
export function normalizePhone(input: string): string | null {
  const raw = input.replace(/[\s.()-]/g, '');
  if (!/^\+?\d+$/.test(raw)) return null;
  let digits = raw.replace(/\D/g, '');
  if (raw.startsWith('+')) {
    if (!digits.startsWith('84')) return null;
    digits = digits.slice(2);
  } else if (digits.startsWith('84') && digits.length >= 11) {
    digits = digits.slice(2);
  } else if (digits.startsWith('0')) {
    digits = digits.slice(1);
  } else {
    return null;
  }
  if (digits.startsWith('0')) digits = digits.slice(1);
  // 9 digits after the country code for mobiles (3x, 5x, 7x, 8x, 9x), 9-10 for landlines (2x).
  if (!/^[235789]\d{8,9}$/.test(digits)) return null;
  if (digits.length === 10 && !digits.startsWith('2')) return null;
  return `+84${digits}`;
}

/** 0912 345 678 */
export function displayPhone(canonical: string): string {
  const local = `0${canonical.replace(/^\+84/, '')}`;
  return local.length === 10 ? `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}` : local;
}
