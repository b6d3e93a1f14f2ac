export default function Home() {
  return <main><h1>Dueflow</h1></main>;
}
