import { AppProvider } from '../components/app-context';
import { ToastProvider } from '../components/toast';

// Placeholder until the task view lands.
export default function Home() {
  return (
    <ToastProvider>
      <AppProvider fallback={<p>Loading…</p>}>
        <main>
          <h1>Dueflow</h1>
        </main>
      </AppProvider>
    </ToastProvider>
  );
}
