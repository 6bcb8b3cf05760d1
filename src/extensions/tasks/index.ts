// "http-mcp/tasks": the Tasks extension (SEP-2663) and where tasks are stored.
export { startTask, tasks, type TasksOptions } from "./tasks.js";
export { TASKS_ID } from "./wire.js";
export { memoryTaskStore, TaskStoreFullError, type MemoryTaskStoreOptions } from "./memory-store.js";
export { isTerminal, LEASE_EXPIRED, type NewTask, type TaskChange, type TaskError, type TaskRecord, type TaskStatus, type TaskStore } from "./store.js";
export type { TaskSupport } from "../../definitions/tool.js";
