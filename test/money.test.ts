import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMoney, minorToDecimal } from '../src/shared/money';

describe('money', () => {
  it('knows zero-, two- and three-decimal currencies', () => {
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('krw')).toBe(0);
    expect(currencyDigits('usd')).toBe(2);
    expect(currencyDigits('kwd')).toBe(3);
  });
  it('writes minor units as major-unit decimals', () => {
    expect(minorToDecimal(1099, 'usd')).toBe('10.99');
    expect(minorToDecimal(5, 'usd')).toBe('0.05');
    expect(minorToDecimal(-1099, 'eur')).toBe('-10.99');
    expect(minorToDecimal(1099, 'jpy')).toBe('1099');
    expect(minorToDecimal(1230, 'kwd')).toBe('1.230');
    expect(() => minorToDecimal(1.5, 'usd')).toThrow(/integer/);
  });
  it('formats for display with the right digits', () => {
    expect(formatMoney(1099, 'usd')).toBe('$10.99');
    expect(formatMoney(1099, 'jpy')).toBe('¥1,099');
    expect(formatMoney(1230, 'kwd')).toMatch(/1\.230/);
  });
});
