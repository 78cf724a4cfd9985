// markdown.tsx — notes and descriptions in Markdown, rendered to a small
// sanitised subset: paragraphs, headings, lists, quotes, code, emphasis
// and links to http(s) and mailto only. It builds elements directly and
// never parses HTML, so text from a note can never become markup or
// script: raw HTML in a note shows as the characters typed.
import type { ComponentChildren } from 'preact';

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

function inline(text: string, key = 0): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;
  let rest = text;
  let n = key;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const tok = m[0];
    if (m[1]) out.push(<code key={n++}>{tok.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={n++}>{inline(tok.slice(2, -2), n * 100)}</strong>);
    else if (m[3]) out.push(<em key={n++}>{inline(tok.slice(1, -1), n * 100)}</em>);
    else {
      const lm = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(tok)!;
      if (SAFE_URL.test(lm[2]))
        out.push(<a key={n++} href={lm[2]} rel="noopener noreferrer nofollow" target="_blank">{lm[1]}</a>);
      else out.push(tok);
    }
    rest = rest.slice(m.index + tok.length);
  }
  return out;
}

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ComponentChildren[] = [];
  let i = 0;
  let k = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^```/.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i])) code.push(lines[i++]);
      i++;
      blocks.push(<pre key={k++}><code>{code.join('\n')}</code></pre>);
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      const level = h[1].length;
      const content = inline(h[2]);
      // Headings in user text sit below the screen's own headings.
      blocks.push(level === 1 ? <h4 key={k++}>{content}</h4> : level === 2 ? <h5 key={k++}>{content}</h5>
                              : <h6 key={k++}>{content}</h6>);
      i++;
      continue;
    }
    if (/^\s*([-*+]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ComponentChildren[] = [];
      while (i < lines.length && /^\s*([-*+]|\d+\.)\s+/.test(lines[i]))
        items.push(<li key={i}>{inline(lines[i++].replace(/^\s*([-*+]|\d+\.)\s+/, ''))}</li>);
      blocks.push(ordered ? <ol key={k++}>{items}</ol> : <ul key={k++}>{items}</ul>);
      continue;
    }
    if (/^>\s?/.test(line)) {
      const q: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i])) q.push(lines[i++].replace(/^>\s?/, ''));
      blocks.push(<blockquote key={k++}>{inline(q.join(' '))}</blockquote>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !/^(```|#{1,3}\s|>|\s*([-*+]|\d+\.)\s)/.test(lines[i]))
      para.push(lines[i++]);
    blocks.push(<p key={k++}>{inline(para.join(' '))}</p>);
  }
  return <div class="markdown">{blocks}</div>;
}
