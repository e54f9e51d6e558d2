/** Tab strip; tabs not built yet are shown disabled ("soon") so the layout has room for them. */
export interface TabSpec<K extends string> {
  readonly key: K;
  readonly label: string;
  readonly disabled?: boolean;
}

export function Tabs<K extends string>({
  tabs,
  active,
  onChange,
}: {
  tabs: readonly TabSpec<K>[];
  active: K;
  onChange: (key: K) => void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button
          key={t.key}
          role="tab"
          aria-selected={t.key === active}
          className={`tab${t.key === active ? ' tab-active' : ''}`}
          disabled={t.disabled}
          title={t.disabled ? 'Coming soon' : undefined}
          onClick={() => onChange(t.key)}
        >
          {t.label}
          {t.disabled && <span className="tab-soon">soon</span>}
        </button>
      ))}
    </div>
  );
}
