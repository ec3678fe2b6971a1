import { useCallback, useEffect, useState } from 'react';
import { App } from 'antd';
import { problemText } from './problemFields';

/**
 * Loads data for a page and reloads when `deps` change; a failure is shown as a message with the
 * server's localized title and kept in `error` for the page to show in place. `reload` refetches after a change.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; loading: boolean; error?: string; reload: () => void } {
  const { message } = App.useApp();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!current) return;
        const text = problemText(failure);
        setError(text);
        void message.error(text);
      },
    ).finally(() => { if (current) setLoading(false); });
    return () => { current = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps stand for what its load reads, as with useEffect (message is the app's one instance)
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, loading, error, reload };
}
