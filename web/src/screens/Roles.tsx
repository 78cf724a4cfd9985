// Roles.tsx — what each role may do, in words: the organisation-wide
// roles of a user (administrator, auditor, user) and the roles in a team
// (lead, member, viewer), so that whoever hands out a role knows what it
// gives. The roles themselves are fixed by the server (docs/api.md).
import { t, tv } from '../i18n';
import { Page, Section, Table } from '../components';

const USER_ROLES = ['admin', 'auditor', 'user'];
const TEAM_ROLES = ['lead', 'member', 'viewer'];

export function Roles() {
  return (
    <Page title={t('admin.roles')} purpose={t('roles.purpose')}>
      <Section id="h-user-roles" title={t('roles.userRoles')}>
        <Table headers={[t('roles.role'), t('roles.may')]} caption={t('roles.userRoles')}>
          {USER_ROLES.map((r) => <tr><th scope="row">{tv('userRole', r)}</th><td>{tv('roleMay', r)}</td></tr>)}
        </Table>
      </Section>
      <Section id="h-team-roles" title={t('roles.teamRoles')}>
        <Table headers={[t('roles.role'), t('roles.may')]} caption={t('roles.teamRoles')}>
          {TEAM_ROLES.map((r) => <tr><th scope="row">{tv('teamRole', r)}</th><td>{tv('roleMay', r)}</td></tr>)}
        </Table>
        <p class="hint">{t('roles.inherit')}</p>
      </Section>
    </Page>
  );
}
