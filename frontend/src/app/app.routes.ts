import { type Routes } from '@angular/router';
import { authGuard, guestGuard } from './core/auth/auth.guard';

export const routes: Routes = [
  {
    path: 'login',
    canActivate: [guestGuard],
    title: 'Sign in · RYTHM Data',
    loadComponent: () => import('./core/auth/login.page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./core/layout/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'export' },
      {
        path: 'export',
        title: 'Export · RYTHM Data',
        loadComponent: () => import('./export/export.page').then((m) => m.ExportPage),
      },
      {
        path: 'import',
        title: 'Import · RYTHM Data',
        loadComponent: () => import('./import/import-wizard.page').then((m) => m.ImportWizardPage),
      },
      {
        path: 'backups',
        title: 'Backups · RYTHM Data',
        loadComponent: () => import('./backups/backups.page').then((m) => m.BackupsPage),
      },
      {
        path: 'audit',
        title: 'Audit · RYTHM Data',
        loadComponent: () => import('./audit/audit.page').then((m) => m.AuditPage),
      },
      {
        path: 'jobs',
        title: 'Jobs · RYTHM Data',
        loadComponent: () => import('./jobs/jobs.page').then((m) => m.JobsPage),
      },
      {
        path: 'jobs/:id',
        title: 'Job · RYTHM Data',
        loadComponent: () => import('./jobs/job-detail.page').then((m) => m.JobDetailPage),
      },
    ],
  },
  { path: '**', redirectTo: 'export' },
];
