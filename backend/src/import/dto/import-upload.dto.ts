import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CreateImportDto } from './create-import.dto.js';

/**
 * The multipart body of POST /api/imports as the document shows it: the fields CreateImportDto
 * validates plus `file`, which multer takes before validation. For the document only.
 */
@ApiSchema({ name: 'ImportUpload' })
export class ImportUploadDto extends CreateImportDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The bundle: .json, .json.gz, .sql, .sql.gz or .zip (CSV)' })
  file: unknown;
}
