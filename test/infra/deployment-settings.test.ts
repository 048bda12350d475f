import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { deploymentSettings } from '../../infra/deployment-settings.ts';

const settingsOf = (context: Record<string, unknown>) => deploymentSettings(new App({ context }).node);

describe('the deployment settings', () => {
  it('default to the dev stage, optional MFA, no sender, no alarm e-mail, no allow-listed domain and 10 years of digest retention', () => {
    expect(settingsOf({})).toEqual({
      stage: 'dev',
      mfa: 'optional',
      alertEmailDomains: [],
      anchorRetentionYears: 10,
    });
  });

  it('read the stage, MFA mode and e-mail addresses from context', () => {
    const context = { stage: 'prod', mfa: 'required', senderEmail: 'a@x.vn', alarmEmail: 'b@x.vn' };
    expect(settingsOf(context)).toEqual({
      stage: 'prod',
      mfa: 'required',
      senderEmail: 'a@x.vn',
      alarmEmail: 'b@x.vn',
      alertEmailDomains: [],
      anchorRetentionYears: 10,
    });
  });

  it('read the digest retention in years from context, and refuse one under the legal 10 years, naming the flag', () => {
    expect(settingsOf({ anchorRetentionYears: '20' }).anchorRetentionYears).toBe(20);
    expect(settingsOf({ anchorRetentionYears: 15 }).anchorRetentionYears).toBe(15);
    expect(() => settingsOf({ anchorRetentionYears: '5' })).toThrow(/"anchorRetentionYears".*from 10.*got 5/);
    expect(() => settingsOf({ anchorRetentionYears: 'ten' })).toThrow(/-c anchorRetentionYears=20/);
  });

  it('read the allow-listed e-mail domains as a comma-separated string or a list', () => {
    expect(settingsOf({ alertEmailDomains: 'gov.vn, QuangNam.gov.vn' }).alertEmailDomains).toEqual([
      'gov.vn',
      'quangnam.gov.vn',
    ]);
    expect(settingsOf({ alertEmailDomains: ['gov.vn'] }).alertEmailDomains).toEqual(['gov.vn']);
  });

  it('refuse an allow-listed domain that is not a domain name, naming the flag', () => {
    expect(() => settingsOf({ alertEmailDomains: 'gov.vn,*@evil.com' })).toThrow(
      /"alertEmailDomains".*-c alertEmailDomains=.*evil/,
    );
  });

  it('treat an empty address as none', () => {
    expect(settingsOf({ senderEmail: '' })).toEqual({
      stage: 'dev',
      mfa: 'optional',
      alertEmailDomains: [],
      anchorRetentionYears: 10,
    });
  });

  it('refuse a stage that could not name a stack', () => {
    expect(() => settingsOf({ stage: 'Prod_1' })).toThrow(/"stage".*-c stage=dev.*Prod_1/);
  });

  it('refuse an MFA mode other than optional or required', () => {
    expect(() => settingsOf({ mfa: 'off' })).toThrow(/"mfa".*-c mfa=required.*off/);
  });

  it('refuse an address that is not one, naming the flag', () => {
    expect(() => settingsOf({ alarmEmail: 'ops' })).toThrow(/"alarmEmail".*-c alarmEmail=.*ops/);
  });
});
