import type { AuditVerifyResult } from '../../shared/api-types.js';
import type { CommandGroup } from '../command.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { formatNumber } from '../format.js';

export const auditGroup: CommandGroup = {
  name: 'audit',
  summary: 'Audit log',
  commands: [
    {
      name: 'verify',
      summary: "Check the audit log's hash chain (exit 1 when a link is broken)",
      usage: '',
      positionals: { min: 0, max: 0 },
      options: {},
      async run(ctx) {
        const client = await ctx.client();
        const result = await client.get<AuditVerifyResult>('/api/audit/verify');
        ctx.out.result(result, () => {
          const head = result.valid
            ? `Audit log intact: ${formatNumber(result.checked)} entries checked.`
            : `Audit log BROKEN at entry ${result.firstBrokenId ?? '?'} (${formatNumber(result.checked)} entries checked).`;
          return result.message && !result.valid ? `${head}\n${result.message}` : head;
        });
        return result.valid ? EXIT_OK : EXIT_FAILED;
      },
    },
  ],
};
