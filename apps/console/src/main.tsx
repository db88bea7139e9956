import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './i18n-ops';
import './styles.css';
import { App } from './App';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
