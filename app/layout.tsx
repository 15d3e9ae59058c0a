import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import 'maplibre-gl/dist/maplibre-gl.css';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: '平安一张图',
  description: '县域平安建设态势一张图',
};

// Every page renders per request: the Content-Security-Policy set in proxy.ts carries a
// fresh nonce that Next.js puts on its scripts while rendering, which a page prerendered
// at build time (the 404 page, say) would not have.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="zh-CN">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
