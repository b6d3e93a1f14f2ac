'use client';
// The planner's navigation: Today, Upcoming, All tasks, Completed, each with its count, then the
// user's saved filters. Real links (a middle click opens a new tab); a plain click switches the
// view in place.
import type { MouseEvent, ReactNode } from 'react';
import type { TaskFilters } from '../../lib/filters';
import { VIEW_TITLE, VIEWS, type ViewName, viewHref } from '../../lib/views';
import { CalendarIcon, ClockIcon, FlagIcon } from './icons';
import styles from './planner.module.css';
import type { ViewCounts } from './use-view-counts';

export interface SavedFilterLink {
  id: string;
  name: string;
  filters: TaskFilters;
}

interface NavProps {
  active: ViewName | { saved: string };
  counts: ViewCounts;
  saved: readonly SavedFilterLink[];
  onView(view: ViewName): void;
  onSaved(filter: SavedFilterLink): void;
}

const ICONS: Readonly<Record<ViewName, ReactNode>> = {
  today: <ClockIcon />,
  upcoming: <CalendarIcon />,
  all: <ListIcon />,
  completed: <DoneIcon />,
};

/** Lets the browser handle clicks that should open a new tab or window. */
const plainClick = (e: MouseEvent) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

function Count({ n }: { n: number | undefined }) {
  if (n === undefined) return null;
  return (
    <span className={styles.navCount}>
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">, {n === 1 ? '1 task' : `${n} tasks`}</span>
    </span>
  );
}

export function Nav({ active, counts, saved, onView, onSaved }: NavProps) {
  return (
    <nav className={styles.nav} aria-label="Views">
      <ul className={styles.navList}>
        {VIEWS.map((view) => (
          <li key={view}>
            <a
              href={viewHref(view)}
              className={styles.navLink}
              aria-current={active === view ? 'page' : undefined}
              onClick={(e) => {
                if (!plainClick(e)) return;
                e.preventDefault();
                onView(view);
              }}
            >
              {ICONS[view]}
              <span className={styles.navLabel}>{VIEW_TITLE[view]}</span>
              <Count n={counts[view]} />
            </a>
          </li>
        ))}
      </ul>
      {saved.length > 0 ? (
        <>
          <h2 className={styles.navHeading} id="saved-filters-heading">
            Filters
          </h2>
          <ul className={styles.navList} aria-labelledby="saved-filters-heading">
            {saved.map((f) => (
              <li key={f.id}>
                <a
                  href={viewHref('all', f.filters)}
                  className={styles.navLink}
                  aria-current={typeof active === 'object' && active.saved === f.id ? 'page' : undefined}
                  onClick={(e) => {
                    if (!plainClick(e)) return;
                    e.preventDefault();
                    onSaved(f);
                  }}
                >
                  <FlagIcon />
                  <span className={styles.navLabel}>{f.name}</span>
                  <Count n={counts.saved?.[f.id]} />
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </nav>
  );
}

function ListIcon() {
  return (
    <svg className={styles.navIcon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

function DoneIcon() {
  return (
    <svg className={styles.navIcon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M5.3 8.2l1.8 1.8 3.6-3.7" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
