import { AppProvider } from '../components/app-context';
import { AppShell } from '../components/shell/app-shell';
import { TaskListSkeleton } from '../components/tasks/task-list-skeleton';
import { TaskView } from '../components/tasks/task-view';
import { ToastProvider } from '../components/toast';

export default function Home() {
  return (
    <ToastProvider>
      <AppProvider fallback={<TaskListSkeleton />}>
        <AppShell>
          <TaskView />
        </AppShell>
      </AppProvider>
    </ToastProvider>
  );
}
