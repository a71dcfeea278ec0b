import { ROLES } from '@rt/domain';
import { breadcrumbHome } from './action.view-model';

describe('where the action page’s breadcrumbs start', () => {
  it.each(ROLES.map((role) => [role]))('%s', (role) => {
    const overseer = role === 'admin' || role === 'performance_manager';
    expect(breadcrumbHome(role)).toEqual(
      overseer ? { text: 'Dashboard', href: '/dashboard' } : { text: 'Your actions', href: '/' },
    );
  });
});
