'use client';
// 页面出错: an error while rendering a page (inside the root layout, so the product's styles apply).
import { ErrorView } from './components/error-view';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView error={error} reset={reset} />;
}
