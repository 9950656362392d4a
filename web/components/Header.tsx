export function Header({ name, onSignOut }: { name?: string; onSignOut: () => void }) {
  return (
    <header class="header">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href="/">
        kubelab
      </a>
      <nav aria-label="Site">
        <a href="/">Labs</a>
      </nav>
      {name && (
        <div class="who">
          <span>Signed in as {name}</span>
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
