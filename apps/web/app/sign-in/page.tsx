import type { Metadata } from 'next';
import { AuthForm } from '../../components/shell/auth-form';

export const metadata: Metadata = { title: 'Sign in · Dueflow' };

export default function SignInPage() {
  return <AuthForm mode="sign-in" />;
}
