export { ROLES, type Role, type Permission, isRole, roleAllows } from './roles.js';
export {
  hashPassword,
  verifyPassword,
  burnPasswordCheck,
  newToken,
  tokenHash,
  sameSecret,
  passwordProblem,
  MIN_PASSWORD_LENGTH,
} from './secrets.js';
export { LoginThrottle } from './throttle.js';
export { type Principal, principalForToken, openSession, closeSession } from './principal.js';
