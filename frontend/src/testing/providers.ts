import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { type EnvironmentProviders, type Provider } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../app/core/http/auth.interceptor';
import { errorInterceptor } from '../app/core/http/error.interceptor';
import { JOB_EVENT_SOURCE_FACTORY, type JobEventSource } from '../app/core/jobs/job-progress.service';
import { provideAppIcons } from '../app/core/layout/app-icons';

/** A controllable stand-in for the browser's EventSource (jsdom has none). */
export class FakeEventSource implements JobEventSource {
  static readonly instances: FakeEventSource[] = [];
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('No EventSource was opened');
    return source;
  }

  static reset(): void {
    FakeEventSource.instances.length = 0;
  }

  close(): void {
    this.closed = true;
  }

  send(data: unknown): void {
    this.onmessage?.({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

/** What the console's pages need in a unit test: HTTP through the real interceptors, icons, a fake SSE. */
export function provideConsoleTesting(): (Provider | EnvironmentProviders)[] {
  FakeEventSource.reset();
  return [
    provideRouter([]),
    provideHttpClient(withInterceptors([authInterceptor, errorInterceptor])),
    provideHttpClientTesting(),
    provideAppIcons(),
    { provide: JOB_EVENT_SOURCE_FACTORY, useValue: (url: string) => new FakeEventSource(url) },
    // jsdom runs no CSS transitions: without this, dialogs would wait for an animation end forever.
    { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } },
  ];
}
