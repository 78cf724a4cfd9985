// components.tsx — the pieces every screen shares: the page frame that
// states what a screen is for, labels for TLP, severity and state that
// carry text (colour is never the only signal), error messages from the
// catalogue, and forms that ignore the Enter which confirms an IME
// conversion.
import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import { HttpError, type User } from './api';
import { userName } from './data';
import { t, tv } from './i18n';

export function Page(props: { title: string; purpose: string; actions?: ComponentChildren;
                              children: ComponentChildren }) {
  useEffect(() => {
    document.title = t('app.pageTitle', { page: props.title });
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>{props.title}</h1>
          <p class="purpose">{props.purpose}</p>
        </div>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function TlpLabel({ tlp }: { tlp: string }) {
  const cls = 'tlp tlp-' + tlp.toLowerCase().replace('+', '-');
  return <span class={cls} title={tv('tlp.help', tlp)}>{t('tlp.label', { tlp })}</span>;
}

export function SeverityLabel({ severity }: { severity: string | null }) {
  if (!severity) return <span class="sev sev-none">{t('severity.unset')}</span>;
  return <span class={'sev sev-' + severity}>{tv('severity', severity)}</span>;
}

export function StateLabel({ state, label }: { state: string; label?: string }) {
  return <span class="state">{tv('state', state, label)}</span>;
}

export function OverdueLabel() {
  return <span class="overdue">{t('sla.overdueLabel')}</span>;
}

export function errorText(e: unknown): string {
  if (e instanceof HttpError) {
    const general = tv('error', e.error.code, t('error.other'));
    return e.error.message ? t('error.withDetail', { error: general, detail: e.error.message }) : general;
  }
  return t('error.network');
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return <p class="error" role="alert">{errorText(error)}</p>;
}

// What a screen shows until its data is there: the error, or that it loads.
export function Status({ data, error }: { data: unknown; error: unknown }) {
  if (error) return <ErrorBox error={error} />;
  return data ? null : <Loading />;
}

export function Loading() {
  return <p class="loading" role="status">{t('common.loading')}</p>;
}

// Loads data for a screen; reload() after a change.
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    fn().then((d) => live && setData(d), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}

// A form that submits through onSubmit and never on the Enter that ends
// an IME composition (isComposing; keyCode 229 for browsers that report
// the composition that way).
export function Form(props: { onSubmit: () => Promise<unknown> | void; children: ComponentChildren;
                              class?: string; label?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const keydown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) e.preventDefault();
  };
  return (
    <form class={props.class ?? 'form'} onSubmit={submit} onKeyDown={keydown} aria-label={props.label}
          aria-busy={busy}>
      {props.children}
      <ErrorBox error={error} />
    </form>
  );
}

// The label names the control alone (label for=id), and a hint is tied to
// it by aria-describedby, so screen readers read both and nothing else.
export function Field(props: { label: string; hint?: string; children: VNode<any> }) {
  const id = useId();
  const control = cloneElement(props.children, { id, 'aria-describedby': props.hint ? id + '-hint' : undefined });
  return (
    <div class="field">
      <label class="field-label" for={id}>{props.label}</label>
      {control}
      {props.hint && <span class="hint" id={id + '-hint'}>{props.hint}</span>}
    </div>
  );
}

export function Submit({ text }: { text: string }) {
  return <button type="submit" class="primary">{text}</button>;
}

export function value(e: Event): string {
  return (e.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
}

export function Empty({ text }: { text: string }) {
  return <p class="empty">{text}</p>;
}

// A titled part of a screen, named by its heading for assistive technology.
export function Section(props: { id: string; title: string; class?: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={props.id} class={props.class}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

// A list, or a sentence saying that it is empty.
export function Items<T>(props: { items: T[]; empty: string; children: (item: T) => ComponentChildren }) {
  if (props.items.length === 0) return <Empty text={props.empty} />;
  return <ul class="plain">{props.items.map((x) => <li>{props.children(x)}</li>)}</ul>;
}

// A form that adds or creates something: its title names the form and
// its button.
export function AddForm(props: { title: string; onSubmit: () => Promise<unknown> | void;
                                 children: ComponentChildren }) {
  return (
    <Form label={props.title} onSubmit={props.onSubmit}>
      {props.children}
      <Submit text={props.title} />
    </Form>
  );
}

// A select over fixed values whose words come from the catalogue; "blank"
// adds a first option with the empty value. (id and aria-describedby
// come from the Field around it.)
export function ValueSelect(props: { name: string; value: string; values: string[];
                                     word: (v: string) => string; blank?: string;
                                     onChange: (v: string) => void; id?: string;
                                     'aria-describedby'?: string }) {
  return (
    <select name={props.name} id={props.id} aria-describedby={props['aria-describedby']} value={props.value}
            onChange={(e) => props.onChange(value(e))}>
      {props.blank !== undefined && <option value="">{props.blank}</option>}
      {props.values.map((v) => <option value={v}>{props.word(v)}</option>)}
    </select>
  );
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'];
export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
export const severityWord = (s: string) => tv('severity', s);
export const tlpWord = (s: string) => t('tlp.label', { tlp: s });

// The severity and TLP choices, the same wherever a form asks for them.
export function SeverityField(props: { value: string; blank: string; onChange: (v: string) => void }) {
  return (
    <Field label={t('case.severity')}>
      <ValueSelect name="severity" value={props.value} values={SEVERITIES} word={severityWord} blank={props.blank}
                   onChange={props.onChange} />
    </Field>
  );
}

export function TlpField(props: { value: string; blank?: string; hint?: string; onChange: (v: string) => void }) {
  return (
    <Field label={t('case.tlp')} hint={props.hint}>
      <ValueSelect name="tlp" value={props.value} values={TLPS} word={tlpWord} blank={props.blank}
                   onChange={props.onChange} />
    </Field>
  );
}

// A section with a form that creates something, titled by what it creates.
export function CreateSection(props: { id: string; title: string; onSubmit: () => Promise<unknown> | void;
                                       children: ComponentChildren }) {
  return (
    <Section id={props.id} title={props.title}>
      <AddForm title={props.title} onSubmit={props.onSubmit}>{props.children}</AddForm>
    </Section>
  );
}

// A table whose columns are named by headers; rows are the children.
export function Table(props: { headers: ComponentChildren[]; caption?: string; class?: string;
                               children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class={props.class}>
        {props.caption && <caption class="sr-only">{props.caption}</caption>}
        <thead><tr>{props.headers.map((h) => <th scope="col">{h}</th>)}</tr></thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

// A choice of user by name (ids as values); id comes from the Field.
export function UserSelect(props: { name: string; value: string; users: User[]; blank: string;
                                    onChange: (v: string) => void; id?: string }) {
  return (
    <ValueSelect id={props.id} name={props.name} value={props.value} values={props.users.map((u) => String(u.id))}
                 word={(v) => userName(props.users, Number(v))} blank={props.blank} onChange={props.onChange} />
  );
}

// A choice among fixed words of the catalogue, keyed prefix.value.
export function WordSelect(props: { name: string; value: string; values: string[]; prefix: string; blank?: string;
                                    onChange: (v: string) => void; id?: string }) {
  return (
    <ValueSelect id={props.id} name={props.name} value={props.value} values={props.values}
                 word={(v) => tv(props.prefix, v)} blank={props.blank} onChange={props.onChange} />
  );
}

// A labelled one-line text input.
export function TextField(props: { label: string; hint?: string; name: string; value: string;
                                   type?: 'text' | 'email' | 'password'; required?: boolean;
                                   autoComplete?: string; minLength?: number; onChange: (v: string) => void }) {
  // (Preact types each input type separately; all three take these attributes.)
  const type = (props.type ?? 'text') as 'text';
  return (
    <Field label={props.label} hint={props.hint}>
      <input name={props.name} type={type} value={props.value} required={props.required}
             autoComplete={props.autoComplete} minLength={props.minLength} onInput={(e) => props.onChange(value(e))} />
    </Field>
  );
}

// A labelled choice among words of the catalogue.
export function WordField(props: { label: string; name: string; value: string; values: string[]; prefix: string;
                                   blank?: string; onChange: (v: string) => void }) {
  const { label, ...select } = props;
  return (
    <Field label={label}>
      <WordSelect {...select} />
    </Field>
  );
}
