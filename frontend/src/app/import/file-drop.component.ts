import { ChangeDetectionStrategy, Component, type ElementRef, input, output, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ACCEPTED_EXTENSIONS } from './manifest-reader';

/** A drop zone with a "choose file" button; the real <input type=file> stays in the DOM for tests. */
@Component({
  selector: 'app-file-drop',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div
      class="zone"
      [class.over]="dragOver()"
      [class.disabled]="disabled()"
      data-testid="import-dropzone"
      (dragenter)="onDragOver($event)"
      (dragover)="onDragOver($event)"
      (dragleave)="dragOver.set(false)"
      (drop)="onDrop($event)"
    >
      <mat-icon svgIcon="cloud_upload" aria-hidden="true" class="big" />
      <p>Drop a bundle here, or</p>
      <button mat-stroked-button type="button" (click)="input().nativeElement.click()" [disabled]="disabled()" data-testid="import-file-pick">
        Choose a file
      </button>
      <p class="hint">{{ accepted.join(', ') }}</p>
      <input
        #fileInput
        type="file"
        class="cdk-visually-hidden"
        [accept]="accepted.join(',')"
        [disabled]="disabled()"
        aria-label="Bundle file"
        data-testid="import-file-input"
        (change)="onPick(fileInput)"
      />
    </div>
  `,
  styles: `
    .zone {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 24px 16px;
      border: 2px dashed var(--mat-sys-outline);
      border-radius: 12px;
      text-align: center;
      transition: background 120ms;
    }
    .zone.over {
      background: var(--mat-sys-primary-container);
      border-color: var(--mat-sys-primary);
    }
    .zone.disabled {
      opacity: 0.6;
    }
    p {
      margin: 0;
    }
    .hint {
      font-size: 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .big {
      width: 40px;
      height: 40px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FileDropComponent {
  readonly disabled = input(false);
  readonly fileChosen = output<File>();

  protected readonly accepted = ACCEPTED_EXTENSIONS;
  protected readonly dragOver = signal(false);
  protected readonly input = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');

  protected onDragOver(event: DragEvent): void {
    if (this.disabled()) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragOver.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragOver.set(false);
    const file = event.dataTransfer?.files?.[0];
    if (file && !this.disabled()) this.fileChosen.emit(file);
  }

  protected onPick(element: HTMLInputElement): void {
    const file = element.files?.[0];
    if (file) this.fileChosen.emit(file);
    // Allow choosing the same file again after a change elsewhere.
    element.value = '';
  }
}
