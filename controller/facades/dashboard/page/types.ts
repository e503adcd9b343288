// The shapes the page reads from the API (docs/serve.md, docs/events.md): only the fields it shows.
// Payloads are open objects on the server side, so a field added later breaks nothing here.

export type Role = 'viewer' | 'operator' | 'admin';

export interface Whoami {
  name: string;
  role: Role;
}

export interface BatchRow {
  batch_id: string;
  status: string;
  title: string;
  ecosystem: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  created_at: string;
  completed_at: string | null;
  duration_ms: number | null;
  requested_by: string;
  agent: string | null;
  priority: number;
  commit_sha: string | null;
  tag: string | null;
  reason_code: string | null;
  reason_message: string | null;
}

export interface Progress {
  completed: number;
  /** every step that did not land (failed or skipped) */
  failed: number;
  /** of `failed`, the steps never started (absent from progress stored before the field) */
  skipped?: number;
  total: number;
  ops_per_second?: number;
  eta_seconds?: number | null;
  rss_bytes?: number;
  current?: { index: number; type: string; path: string };
}

export interface BatchDetails {
  batch: BatchRow;
  result: { reason?: { code: string; message: string }; commit: string | null; tag: string | null };
  items_total: number;
  progress?: Progress;
  /** while it runs: its batch_started time */
  started_at?: string;
}

export interface ItemRow {
  item_index: number;
  operation: string;
  source_path: string | null;
  target_path: string;
  status: string;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
}

export interface EngineEvent {
  seq: number;
  type: string;
  batch_id: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface ControlStatus {
  at: string;
  stop: {
    /** true while batches may run; false: the emergency stop is on */
    enabled: boolean;
    disabled_ecosystems: string[];
    reason: string;
    disabled_by: string;
    disabled_at: string;
    incident_url: string;
    expected_resume: string;
  };
  breakers: Array<{
    ecosystem: string;
    effective_state: string;
    failures: number;
    half_open_in_seconds: number | null;
    no_recovery_time: boolean;
  }>;
  budget: {
    resets_at: string;
    mode: 'normal' | 'sampling' | 'paused';
    units: Array<{ unit: string; used: number; limit: number | null; fraction: number | null }>;
    sample_above: number;
    sample_rate: number;
    pause_above: number;
  };
  slis: {
    since: string;
    ecosystems: Array<{
      ecosystem: string;
      batches: number;
      batch_success_rate: number;
      slo: number;
      severity: string;
      p95_ms: number | null;
    }>;
  };
}

export interface ValidationIssue {
  code: string;
  index?: number | null;
  path?: string | null;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
  estimated_time_seconds: number;
}
