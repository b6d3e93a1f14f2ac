// Placeholder rows while the profile or the first page loads (no hooks: usable as a server fallback).
import styles from './tasks.module.css';

/** The whole view's placeholder, before the signed-in app is ready. */
export function TaskListSkeleton({ rows = 6 }: { rows?: number }) {
  return <SkeletonRows rows={rows} className={styles.view} />;
}

/** Just the rows, inside the task view. */
export function SkeletonRows({ rows = 6, className }: { rows?: number; className?: string }) {
  return (
    <div className={className} aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading tasks…
      </p>
      <ul className={styles.list} aria-hidden="true">
        {Array.from({ length: rows }, (_, i) => (
          <li key={i} className={styles.skeletonRow}>
            <span className={`skeleton ${styles.skeletonBox}`} />
            <span className={`skeleton ${styles.skeletonLine}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}
