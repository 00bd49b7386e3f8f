// The account's "People" section: another user's key fingerprint, to compare with them out of
// band (`coffer whois`), and trusting their new key after they changed it (`coffer trust`):
// the key the server gives must have the fingerprint they read out, or nothing changes.
import { trust, whois } from '../model/index.js';
import { describeError, h, replace } from './dom.js';

/** @param {import('../model/session.js').Session} session */
export function peopleSection(session) {
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (h('input', { name, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }));
  const user = field('person');
  const fingerprint = field('fingerprint');
  user.required = true;
  const answer = h('div', { 'aria-live': 'polite' });
  const show = async (/** @type {() => Promise<Element[]>} */ what) => {
    const name = user.value.trim();
    if (!name) {
      replace(answer, h('p', { className: 'error', role: 'alert' }, 'Type a user name first.'));
      return;
    }
    try {
      replace(answer, ...(await what()));
    } catch (error) {
      replace(answer, h('p', { className: 'error', role: 'alert' }, describeError(error)));
    }
  };
  const check = () => show(async () => {
    const key = await whois(session, user.value.trim());
    return [h('p', {}, `${key.user}'s key fingerprint${key.seen === 'new' ? ' (seen for the first time, now remembered)' : ' (as remembered)'}:`),
      h('p', { className: 'fingerprint', id: 'people-fingerprint' }, key.fingerprint)];
  });
  const trustKey = () => show(async () => {
    const trusted = await trust(session, user.value.trim(), fingerprint.value);
    return [h('p', { id: 'people-trusted' }, `${user.value.trim()}'s key ${trusted} is trusted in this browser.`)];
  });
  return h('section', { 'aria-labelledby': 'people-title', className: 'people' }, h('h2', { id: 'people-title' }, 'People'),
    h('p', { className: 'hint' }, 'Compare a user\'s key fingerprint with them in person or by phone. If they changed their key, trust the new one with the fingerprint they read to you.'),
    h('label', {}, 'User name', user),
    h('div', {}, h('button', { type: 'button', id: 'people-check', onclick: check }, 'Show fingerprint')),
    h('label', {}, 'Fingerprint they read to you', fingerprint),
    h('div', {}, h('button', { type: 'button', id: 'people-trust', className: 'secondary', onclick: trustKey }, 'Trust their key')),
    answer);
}
