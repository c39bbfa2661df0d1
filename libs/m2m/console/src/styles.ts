import { css } from 'lit';

/**
 * The console's look, shared by its elements. Colours keep a contrast of at least 4.5:1 on
 * their backgrounds (WCAG 2.2 AA); focus is always visible.
 */
export const baseStyles = css`
  :host {
    display: block;
    color: #1b1f24;
    font:
      15px/1.5 system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      sans-serif;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  :focus-visible {
    outline: 3px solid #0a58ca;
    outline-offset: 2px;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  .field {
    margin-bottom: 1rem;
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
    gap: 0 1rem;
    align-items: end;
  }
  dialog input[type='text'],
  dialog input[type='date'],
  dialog select {
    max-width: none;
  }
  .panel {
    border-top: 2px solid #d1d5db;
    margin-top: 1.5rem;
    padding-top: 1rem;
  }
  .field.inline {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .field.inline label {
    margin: 0;
  }
  input,
  select {
    font: inherit;
    color: inherit;
    border: 1px solid #6b7280;
    border-radius: 4px;
    padding: 0.4rem 0.5rem;
    background: #fff;
    box-sizing: border-box;
  }
  input[type='text'],
  input[type='password'],
  input[type='search'],
  input[type='date'],
  select {
    width: 100%;
    max-width: 28rem;
  }
  input[readonly] {
    background: #f3f4f6;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: #b3261e;
  }
  .hint {
    color: #4b5563;
    font-size: 0.875rem;
    margin: 0.25rem 0 0;
  }
  .error {
    color: #b3261e;
    font-size: 0.875rem;
    margin: 0.25rem 0 0;
  }
  .alert {
    border: 1px solid #b3261e;
    background: #fdecea;
    color: #8c1d18;
    border-radius: 4px;
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
  }
  .notice {
    border: 1px solid #9a6700;
    background: #fff8c5;
    color: #4d3800;
    border-radius: 4px;
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
  }
  .status-message {
    color: #1a5e20;
    min-height: 1.5em;
    margin: 0 0 0.5rem;
  }
  button {
    font: inherit;
    font-weight: 600;
    border-radius: 4px;
    border: 1px solid #0a58ca;
    background: #0a58ca;
    color: #fff;
    padding: 0.4rem 0.9rem;
    cursor: pointer;
  }
  button.secondary {
    background: #fff;
    color: #0a58ca;
  }
  button.danger {
    background: #b3261e;
    border-color: #b3261e;
    color: #fff;
  }
  button.link {
    background: none;
    border: none;
    color: #0a58ca;
    padding: 0;
    text-decoration: underline;
    font-weight: 600;
    text-align: left;
  }
  button[disabled] {
    background: #e5e7eb;
    border-color: #9ca3af;
    color: #4b5563;
    cursor: not-allowed;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.75rem 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 0.5rem 0 1rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 0.25rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid #d1d5db;
    vertical-align: top;
  }
  th {
    background: #f3f4f6;
    font-weight: 600;
  }
  code {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.875rem;
    word-break: break-all;
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0 0.5rem;
    font-size: 0.8125rem;
    font-weight: 600;
  }
  .badge.active {
    background: #dafbe1;
    color: #1a5e20;
  }
  .badge.disabled {
    background: #eceff1;
    color: #37474f;
  }
  dialog {
    border: 1px solid #6b7280;
    border-radius: 8px;
    padding: 1.25rem 1.5rem;
    max-width: 36rem;
    width: calc(100% - 2rem);
    color: inherit;
  }
  dialog::backdrop {
    background: rgba(17, 24, 39, 0.55);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 1rem;
    margin: 0 0 1rem;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
