// The account: storage used against the quota (current files, old versions, trash), the
// sessions logged in to it, each revocable (revoking this one logs out), and other people's
// key fingerprints (people_section.js).
import { listSessions, revokeSession, usage } from '../model/index.js';
import { clearMessages, guarded, render, setError, setStatus } from './context.js';
import { formatBytes, formatDate, h } from './dom.js';
import { peopleSection } from './people_section.js';

/**
 * @param {import('./context.js').Context} ctx
 * @param {HTMLElement} view
 */
export async function showAccount(ctx, view) {
  const { session } = ctx;
  const usageBox = h('div', { className: 'meter-row' }, h('p', { className: 'hint' }, 'Loading…'));
  const sessionsBox = h('div', {}, h('p', { className: 'hint' }, 'Loading…'));
  render(view, h('h1', { tabindex: '-1' }, `Account ${session.user}`),
    h('section', { 'aria-labelledby': 'usage-title' }, h('h2', { id: 'usage-title' }, 'Storage'), usageBox),
    h('section', { 'aria-labelledby': 'sessions-title' }, h('h2', { id: 'sessions-title' }, 'Sessions'), sessionsBox),
    peopleSection(session));
  try {
    const used = await usage(session);
    const quota = used.quota === null || used.quota === undefined ? null : Number(used.quota);
    render(usageBox,
      h('p', { id: 'usage-text' }, quota === null ? `${formatBytes(used.used)} used (no quota)` : `${formatBytes(used.used)} of ${formatBytes(quota)} used (${Math.round((100 * Number(used.used)) / Math.max(1, quota))} %)`),
      quota === null ? null : h('meter', { min: 0, max: quota, value: Number(used.used), high: quota * 0.9, 'aria-labelledby': 'usage-text' }),
      h('ul', { className: 'hint' },
        h('li', {}, `Files: ${formatBytes(used.current)}`),
        h('li', {}, `Older versions: ${formatBytes(used.versions)}`),
        h('li', {}, `Trash: ${formatBytes(used.trash)}`)));
  } catch (error) {
    render(usageBox);
    setError(error);
  }
  try {
    const sessions = await listSessions(session);
    const rows = sessions.map((s) => h('tr', {},
      h('td', {}, s.device || '(unnamed)', s.current ? h('span', { className: 'hint' }, ' — this browser') : null),
      h('td', { className: 'wide' }, formatDate(s.createdAt)),
      h('td', {}, formatDate(s.lastSeen)),
      h('td', { className: 'actions' }, h('button', { type: 'button', className: 'danger', 'aria-label': `Revoke the session ${s.device}${s.current ? ' (this browser)' : ''}`, onclick: async () => {
        clearMessages();
        if (await guarded(async () => { await revokeSession(session, s.sessionId); return true; })) {
          if (s.current) {
            ctx.logout();
            return;
          }
          setStatus(`Session ${s.device} revoked.`);
        }
        await showAccount(ctx, view);
      } }, 'Revoke'))));
    render(sessionsBox, h('table', { className: 'listing' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col', className: 'wide' }, 'Logged in'), h('th', { scope: 'col' }, 'Last seen'), h('th', { scope: 'col' }, ''))),
      h('tbody', {}, ...rows)));
  } catch (error) {
    render(sessionsBox);
    setError(error);
  }
}
