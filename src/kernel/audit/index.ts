export { type AuditEntry, type ChainProblem, entryHash, verifyBatch, GENESIS_HASH } from './chain.js';
export { type NewAuditEntry, appendAudit, verifyAuditLog, auditEntryOf, type AuditVerification } from './log.js';
