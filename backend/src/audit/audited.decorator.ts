import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'rythm:auditAction';

/** The route writes one audit row under this action name, whatever its outcome. */
export const Audited = (action: string) => SetMetadata(AUDIT_ACTION, action);
