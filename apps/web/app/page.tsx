import { AppProvider } from '../components/app-context';
import { AppShell } from '../components/shell/app-shell';
import { Planner } from '../components/tasks/planner';
import { TaskListSkeleton } from '../components/tasks/task-list-skeleton';
import { ToastProvider } from '../components/toast';

export default function Home() {
  return (
    <ToastProvider>
      <AppProvider fallback={<TaskListSkeleton />}>
        <AppShell>
          <Planner />
        </AppShell>
      </AppProvider>
    </ToastProvider>
  );
}
