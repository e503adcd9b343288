// One modal dialog for every action that asks first (a reason, a confirmation): <dialog> gives focus
// trapping, Escape and the backdrop. The action runs on submit; when the server refuses, its error text
// stays in the dialog so the operator can change the answer and try again.
import { errorText } from './api.js';
import { byId, fill, type h } from './dom.js';

export interface Ask {
  title: string;
  /** the fields and text of the question */
  body: Array<ReturnType<typeof h>>;
  ok: string;
  /** runs on submit; throwing keeps the dialog open with the error shown */
  run(form: HTMLFormElement): Promise<void>;
}

export function ask({ title, body, ok, run }: Ask): void {
  const dialog = byId<HTMLDialogElement>('ask-dialog');
  const form = byId<HTMLFormElement>('ask-form');
  const error = byId('ask-error');
  const okButton = byId<HTMLButtonElement>('ask-ok');
  byId('ask-h').textContent = title;
  fill(byId('ask-body'), ...body);
  error.textContent = '';
  okButton.textContent = ok;
  okButton.disabled = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    okButton.disabled = true;
    error.textContent = '';
    run(form).then(
      () => dialog.close(),
      (failure: unknown) => {
        error.textContent = errorText(failure);
        okButton.disabled = false;
      },
    );
  };
  byId('ask-cancel').onclick = () => dialog.close();
  dialog.showModal();
}

/** The value of a named field of the dialog's form. */
export function field(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name);
  if (element instanceof HTMLInputElement && element.type === 'checkbox') return element.checked ? 'on' : '';
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement
    ? element.value.trim()
    : '';
}
