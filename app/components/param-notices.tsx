'use client';
// The notices of a page's bad URL parameters (lib/url-params.ts): shown until dismissed.
// `floating` places them over the map; otherwise they are a block at the top of the page.
import { useState } from 'react';

export function ParamNotices({ notices, floating = false }: { notices: readonly string[]; floating?: boolean }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const key = notices.join('\n');
  if (notices.length === 0 || dismissed === key) return null;
  return (
    <div className={`param-notice${floating ? ' floating' : ''}`} role="status" data-testid="param-notice">
      <div>
        {notices.map((n) => (
          <p key={n}>{n}</p>
        ))}
      </div>
      <button type="button" className="small" onClick={() => setDismissed(key)} aria-label="关闭提示">
        知道了
      </button>
    </div>
  );
}
