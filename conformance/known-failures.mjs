// Scenarios of `--suite all` (and the revisions' unscored ones) known not to pass yet, each with
// what it needs. conformance/run.mjs fails when any other scenario does not pass, and when a
// listed one passes (then delete its entry), so this list only ever shrinks with the work it names.
// `modes` limits an entry to some runs ("all", "2026-07-28", "2025-11-25"); without it, all of them.
const TASKS = 'Tasks extension (SEP-2663, issue 17)';

export const KNOWN_FAILURES = {
  'tasks-lifecycle': { needs: `${TASKS}; fixture tools slow_compute, failing_job, protocol_error_job` },
  'tasks-capability-negotiation': { needs: `${TASKS}; capabilities.extensions (SEP-2133), -32021 without it` },
  'tasks-wire-fields': { needs: `${TASKS}: CreateTaskResult with ttlMs, pollIntervalMs` },
  'tasks-request-state-removal': { needs: `${TASKS}: a task created by slow_compute` },
  'tasks-mrtr-input': { needs: `${TASKS}: input_required tasks, tasks/update; fixture tools confirm_delete, multi_input` },
  'tasks-request-headers': { needs: `${TASKS}: Mcp-Name equals params.taskId on tasks/*` },
  'tasks-dispatch-and-envelope': { needs: `${TASKS}: -32602 for an unknown taskId, durable creation` },
  'tasks-required-task-error': { needs: `${TASKS}: a required-task tool answers -32021 with requiredCapabilities` },
  'tasks-mrtr-composition': { needs: `${TASKS}: MRTR rounds then CreateTaskResult; fixture tool test_tool_with_task` },
  'tasks-status-notifications': {
    needs: 'vacuous: the suite skips it until its harness listens on subscriptions/listen; then Tasks status notifications (SEP-2663)',
  },
};
