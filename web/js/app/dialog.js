// Modal dialogs on the native <dialog> element: focus moves into it, Escape cancels, Tab stays
// inside, and focus returns to what opened it. No inline handlers or styles (CSP).
import { h } from './dom.js';

/**
 * Opens a modal with `body` and buttons; resolves with the value of the button pressed (the
 * form's submit button resolves 'ok'), or null when cancelled.
 * @param {string} title
 * @param {Array<Node | string | null | false>} body
 * @param {{ ok?: string, cancel?: string | null, onOpen?: (dialog: HTMLDialogElement) => void }} [options]
 * @returns {Promise<string | null>}
 */
export function openDialog(title, body, options = {}) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  const buttons = h('div', { className: 'dialog-buttons' });
  if (options.cancel !== null) buttons.append(h('button', { type: 'button', value: 'cancel', className: 'secondary' }, options.cancel ?? 'Cancel'));
  buttons.append(h('button', { type: 'submit', value: 'ok' }, options.ok ?? 'OK'));
  const form = /** @type {HTMLFormElement} */ (h('form', { method: 'dialog' }, h('h2', { id: titleId }, title), ...body, buttons));
  const dialog = /** @type {HTMLDialogElement} */ (h('dialog', { 'aria-labelledby': titleId }, form));
  document.body.append(dialog);
  return new Promise((resolve) => {
    /** @type {string | null} */
    let result = null;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      result = 'ok';
      dialog.close();
    });
    buttons.querySelector('button[value=cancel]')?.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(result);
    });
    dialog.showModal();
    options.onOpen?.(dialog);
    const first = /** @type {HTMLElement | null} */ (form.querySelector('input, select, textarea'));
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
  });
}

/**
 * Asks for one line of text.
 * @param {string} title
 * @param {string} label
 * @param {string} [initial]
 * @param {{ ok?: string, type?: string }} [options]
 * @returns {Promise<string | null>}
 */
export async function promptText(title, label, initial = '', options = {}) {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: options.type ?? 'text', required: true, value: initial, name: 'value', autocomplete: 'off' }));
  const answer = await openDialog(title, [h('label', {}, label, input)], { ok: options.ok });
  return answer === 'ok' ? input.value : null;
}

/**
 * @param {string} title
 * @param {string} message
 * @param {string} [ok]
 */
export async function confirmAction(title, message, ok = 'OK') {
  return (await openDialog(title, [h('p', {}, message)], { ok })) === 'ok';
}

/**
 * A message with one button.
 * @param {string} title
 * @param {Array<Node | string>} body
 */
export async function showMessage(title, body) {
  await openDialog(title, body, { cancel: null, ok: 'Close' });
}

/**
 * A list of actions as buttons; resolves with the value of the one chosen, or null.
 * @param {string} title
 * @param {Array<{ value: string, label: string, danger?: boolean }>} actions
 * @returns {Promise<string | null>}
 */
export function chooseAction(title, actions) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  const list = h('div', { className: 'actions-list' });
  const dialog = /** @type {HTMLDialogElement} */ (h('dialog', { 'aria-labelledby': titleId }, h('h2', { id: titleId }, title), list));
  return new Promise((resolve) => {
    /** @type {string | null} */
    let result = null;
    for (const action of actions) {
      list.append(h('button', { type: 'button', className: action.danger ? 'danger' : 'secondary', onclick: () => { result = action.value; dialog.close(); } }, action.label));
    }
    list.append(h('button', { type: 'button', className: 'secondary', onclick: () => dialog.close() }, 'Cancel'));
    dialog.addEventListener('close', () => {
      dialog.remove();
      // The action that follows may open its own dialog; focus returns to the opener meanwhile.
      opener?.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    /** @type {HTMLElement | null} */ (list.querySelector('button'))?.focus();
  });
}
