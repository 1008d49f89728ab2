/**
 * Our own declarations for the parts of `@litko/yara-x-linux-x64-gnu` 0.7.2 (napi-rs bindings of YARA-X
 * 1.x; the package ships a .node file and no types) that emoguard uses. Checked against the binding's
 * behaviour by src/apps/yara-backend/backend.test.ts.
 */
declare module '@litko/yara-x-linux-x64-gnu' {
  export interface MatchData {
    offset: number;
    length: number;
    /** Lossy (UTF-8 replacement characters): slice the scanned buffer with offset/length instead. */
    data: string;
    identifier: string;
  }

  export interface RuleMatch {
    ruleIdentifier: string;
    namespace: string;
    meta: Record<string, string | number | boolean>;
    tags: string[];
    matches: MatchData[];
  }

  export interface CompilerMessage {
    code: string;
    /** Rendered like `error[E009]: unknown identifier \`foo\`\n --> line:1:21 …`. */
    message: string;
  }

  export interface IgnoredRule {
    name: string;
    reason: string;
    detail?: string;
  }

  export interface CompileResult {
    warnings: CompilerMessage[];
    errors: CompilerMessage[];
  }

  export interface CompilerOptions {
    /** Keep compiling past a broken rule; the errors are read back with getCompilationErrors(). */
    ignoreInvalidRules?: boolean;
    defineVariables?: Record<string, string | number | boolean>;
    namespace?: string;
    /** Modules to accept without support: rules using them are skipped with a warning, not errors. */
    ignoreModules?: string[];
  }

  export interface RuleSource {
    source: string;
    namespace?: string;
  }

  export class YaraX {
    /** One compilation pass over all sources (adding files one by one recompiles everything each time). */
    addRuleSources(sources: RuleSource[]): void;
    getWarnings(): CompilerMessage[];
    getCompilationErrors(): CompilerMessage[];
    getIgnoredRules(): IgnoredRule[];
    scan(data: Uint8Array, variables?: Record<string, string | number | boolean>): RuleMatch[];
    serialize(): Uint8Array;
    setMaxMatchesPerPattern(max: number): void;
    /** Milliseconds; the scan throws "Scan timed out" (checked about once a second). */
    setTimeout(ms: number): void;
  }

  export function compile(source: string, options?: CompilerOptions): YaraX;
  export function validate(source: string, options?: CompilerOptions): CompileResult;
  export function deserialize(data: Uint8Array): YaraX;
}
