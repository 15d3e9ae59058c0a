// Password rules and hashing: at least 8 characters, three of the four classes (lower,
// upper, digit, other); argon2id (the default of @node-rs/argon2, OWASP's parameters).
import { hash, verify } from '@node-rs/argon2';
import { AccountError } from '../errors';

export const PASSWORD_RULE = '密码至少 8 位,且包含大写字母、小写字母、数字、符号中的至少 3 类';
const PASSWORD_RULE_EN = 'A password needs at least 8 characters from at least 3 of: upper case, lower case, digits, symbols';

export function checkPasswordRules(password: string, username?: string): void {
  if (password.length < 8) throw new AccountError(`${PASSWORD_RULE_EN} (this one has ${password.length} characters).`, `${PASSWORD_RULE}(当前 ${password.length} 位)。`);
  if (password.length > 128) throw new AccountError('A password has at most 128 characters.', '密码不能超过 128 位。');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) throw new AccountError(`${PASSWORD_RULE_EN} (this one has ${classes}).`, `${PASSWORD_RULE}(当前只有 ${classes} 类)。`);
  if (username && password.toLowerCase().includes(username.toLowerCase())) throw new AccountError('A password must not contain the user name.', '密码不能包含用户名。');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hash('not-a-real-password-Aa1!');
  return dummy;
}
