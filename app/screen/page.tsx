// The command-centre wall (县综治中心大屏): a dark, chrome-less page for a kiosk browser.
// `/screen?token=dsp_…` binds the browser to its display (the token moves into a cookie,
// see app/api/display/activate) and comes back here without the token in the address.
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { readEnv } from '@/server/env';
import { basemapConfig } from '@/lib/basemaps';
import { BasemapProvider } from '../map/basemap-select';
import { pageActor } from '@/server/auth/page';
import { actorFromHeaders } from '@/server/auth/request';
import { Denied } from '@/app/components/denied';
import { ScreenWall } from './screen-wall';

export const dynamic = 'force-dynamic';

export default async function ScreenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const token = typeof sp.token === 'string' ? sp.token : null;
  if (token) {
    const rest = new URLSearchParams();
    for (const [k, v] of Object.entries(sp)) if (k !== 'token' && typeof v === 'string') rest.set(k, v);
    const next = `/screen${rest.size ? `?${rest}` : ''}`;
    // already bound to this display: drop the token from the address only
    const current = await actorFromHeaders(await headers(), '/screen');
    if (current?.kind === 'display') redirect(next);
    redirect(`/api/display/activate?token=${encodeURIComponent(token)}&next=${encodeURIComponent(next)}`);
  }
  const access = await pageActor('/screen', 'wall.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <BasemapProvider config={basemapConfig(readEnv())}>
      <Suspense>
        <ScreenWall displayName={access.actor.displayName} />
      </Suspense>
    </BasemapProvider>
  );
}
