// Knowledge.tsx — the knowledge base: past cases and their lessons,
// searched by any part of a word (Japanese too: ランサム finds
// ランサムウェア), so a handler finds how a similar case was handled.
// Only cases the reader may see are found (GET /api/v1/knowledge).
import { useEffect, useState } from 'preact/hooks';
import { get, query, type List } from '../api';
import { formatDate, t } from '../i18n';
import { Empty, ErrorBox, Field, Form, Page, Submit, TlpLabel, value } from '../components';
import { setFilter, useLocation } from '../router';

interface Hit {
  case: number;
  title: string;
  tlp: string;
  state: string;
  closed: string | null;
  reviewed: boolean;
  excerpt: string;
}

export function Knowledge() {
  const loc = useLocation();
  const q = loc.search.get('q') ?? '';
  const [text, setText] = useState(q);
  const [result, setResult] = useState<{ q: string; items: Hit[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const search = async () => {
    setError(null);
    setFilter('q', text);
    try {
      const r = await get<List<Hit>>('/knowledge' + query({ q: text, limit: 50 }));
      setResult({ q: text, items: r.items });
    } catch (e) {
      setError(e);
    }
  };
  // A search kept in the address (a shared link) runs on arrival.
  useEffect(() => {
    if (q) void search();
  }, []);
  return (
    <Page title={t('knowledge.title')} purpose={t('knowledge.purpose')}>
      <Form onSubmit={search} label={t('knowledge.title')} class="form search">
        <Field label={t('knowledge.query')} hint={t('knowledge.queryHint')}>
          <input name="q" type="search" required value={text} onInput={(e) => setText(value(e))} />
        </Field>
        <Submit text={t('knowledge.search')} />
      </Form>
      <ErrorBox error={error} />
      {result && (
        <section aria-labelledby="h-results" class="knowledge-results">
          <h2 id="h-results">{t('knowledge.results', { count: result.items.length, q: result.q })}</h2>
          {result.items.length === 0 ? <Empty text={t('knowledge.none')} /> : (
            <ul class="plain hits">
              {result.items.map((h) => (
                <li>
                  <TlpLabel tlp={h.tlp} /> <a href={'/cases/' + h.case}>{h.title}</a>
                  <span class="meta">{h.reviewed ? t('knowledge.closedReviewed', { at: formatDate(h.closed) })
                                                  : t('knowledge.closed', { at: formatDate(h.closed) })}</span>
                  <p class="excerpt">{h.excerpt}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}
