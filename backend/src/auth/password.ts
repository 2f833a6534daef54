import bcrypt from 'bcryptjs';

// bcryptjs: pure JavaScript, so no native build or install script; cost 10 keeps login ~100 ms.
const COST = 10;

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, COST);
export const verifyPassword = (plain: string, hash: string): Promise<boolean> => bcrypt.compare(plain, hash);
