import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiProblem, whenUnauthenticated, type ApiResponse } from './api';

/** The caller as `GET /auth/me` describes it: roles, grants, jurisdiction and capabilities (what the console may offer). */
export type Me = NonNullable<ApiResponse<'/auth/me'>['user']>;
export type Role = Me['roles'][number];
/** An action or ability a module defines on the server: a name the server does not know does not compile. */
export type PermissionAction = Me['capabilities'][number];

/** Whether the user may use an action or ability; the server still decides per row. */
export const holds = (user: Me, action: PermissionAction): boolean => user.capabilities.includes(action) || user.capabilities.includes('*');

/** A menu rule: whoever holds `action`. */
export const holding = (action: PermissionAction) => (user: Me): boolean => holds(user, action);

/** A menu rule: staff holding `action`. */
export const staffHolding = (action: PermissionAction) => (user: Me): boolean => user.kind === 'staff' && holds(user, action);

interface Session {
  /** undefined while the first `me` request is in flight, null when nobody is logged in. */
  user: Me | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Whether the user holds an action or ability (see `holds`). */
  can(action: PermissionAction): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    whenUnauthenticated(() => setUser(null));
    api('GET', '/auth/me').then(
      ({ user }) => setUser(user),
      (error: unknown) => {
        if (!(error instanceof ApiProblem) || error.status !== 401) console.error(error);
        setUser(null);
      });
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const { user } = await api('POST', '/auth/login', { username, password });
    setUser(user);
  }, []);

  const logout = useCallback(async () => {
    await api('POST', '/auth/logout').catch(() => undefined); // a session already gone on the server is logged out too
    setUser(null);
  }, []);

  const value = useMemo<Session>(() => ({
    user, login, logout,
    can: (action) => !!user && holds(user, action),
  }), [user, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
