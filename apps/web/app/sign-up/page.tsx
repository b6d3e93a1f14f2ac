import type { Metadata } from 'next';
import { AuthForm } from '../../components/shell/auth-form';

export const metadata: Metadata = { title: 'Create your account · Dueflow' };

export default function SignUpPage() {
  return <AuthForm mode="sign-up" />;
}
