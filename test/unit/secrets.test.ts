import { describe, expect, it } from 'vitest';
import { readSecret, secretArnEnv } from '../../shared/platform/aws/secrets.ts';

describe('reading a managed secret at run time', () => {
  it('names the secret in Secrets Manager by an ARN variable of its own', () => {
    expect(secretArnEnv('CURSOR_SECRET')).toBe('CURSOR_SECRET_ARN');
  });

  it('reads the value the local runtime gives when there is no ARN (locally: a file under DATA_DIR)', async () => {
    await expect(readSecret('CURSOR_SECRET', { CURSOR_SECRET: 'k'.repeat(48) })).resolves.toBe(
      'k'.repeat(48),
    );
  });

  it('says which variable is missing when neither the ARN nor the value is given', async () => {
    await expect(readSecret('CURSOR_SECRET', {})).rejects.toThrow(/CURSOR_SECRET/);
  });
});
