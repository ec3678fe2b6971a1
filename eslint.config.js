// `npm run lint`: one flat config for the server (tsconfig.json) and the console (web/tsconfig.json).
// Type-aware rules find each file's nearest tsconfig through the TypeScript project service.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import reactHooks from 'eslint-plugin-react-hooks';

// An error dropped on the floor must say why: a `catch` that neither binds nor rethrows, and a
// `.catch(() => …)` or `.then(…, () => …)` handler that takes no error, need a comment inside the
// handler, on the line above it or at the end of its last line. A bound but unused error is left to
// no-unused-vars (caughtErrors: 'all').
const explainDroppedErrors = {
  meta: {
    type: 'problem',
    docs: { description: 'require a comment saying why an error is dropped' },
    messages: { unexplained: '{{what}} drops the error: handle or rethrow it, or say in a comment why dropping it is right.' },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    // A comment on a line of its own right above, or one that ends the handler's last line.
    const ownLine = (comment) => source.getTokenBefore(comment, { includeComments: false })?.loc.end.line !== comment.loc.start.line;
    const explained = (node, firstLine) => {
      if (source.getCommentsInside(node).length > 0) return true;
      const lastLine = node.loc.end.line;
      return source.getAllComments().some((c) => (c.loc.end.line === firstLine - 1 && ownLine(c)) || c.loc.start.line === lastLine);
    };
    const throws = (node) => {
      let found = false;
      const visit = (n) => {
        if (found || !n || typeof n.type !== 'string') return;
        if (n.type === 'ThrowStatement') { found = true; return; }
        if (n !== node && /Function/.test(n.type)) return;
        for (const [key, value] of Object.entries(n)) {
          if (key === 'parent') continue;
          if (Array.isArray(value)) value.forEach(visit); else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(node);
      return found;
    };
    return {
      CatchClause(node) {
        if (node.param || throws(node.body) || explained(node.body, node.loc.start.line)) return;
        context.report({ node, messageId: 'unexplained', data: { what: 'This catch' } });
      },
      // .catch(() => …), and .then(…, () => …) which is the same handler.
      'CallExpression[callee.property.name=/^(catch|then)$/]'(node) {
        const catching = node.callee.property.name === 'catch';
        const handler = node.arguments[catching ? 0 : 1];
        if (!handler || !/Function/.test(handler.type) || handler.params.length > 0) return;
        if (throws(handler.body) || explained(handler, handler.loc.start.line)) return;
        context.report({ node: handler, messageId: 'unexplained', data: { what: catching ? '.catch(() => …)' : '.then(…, () => …)' } });
      },
    };
  },
};

export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'web/dist/', 'test-results/', 'eslint.config.js'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, comments.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { local: { rules: { 'explain-dropped-errors': explainDroppedErrors } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test runs a test() or describe() it is handed without being awaited.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'all', ignoreRestSiblings: true }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'local/explain-dropped-errors': 'error',
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unused-disable': 'error',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
