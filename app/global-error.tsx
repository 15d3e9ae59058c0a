'use client';
// 系统出错: an error in the root layout itself. It replaces the layout, so it brings its own
// <html> and <body>, and the global styles.
import './globals.css';
import { ErrorView } from './components/error-view';

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="zh-CN">
      <head>
        <title>页面出错 · 平安一张图</title>
      </head>
      <body>
        <ErrorView error={error} reset={reset} />
      </body>
    </html>
  );
}
