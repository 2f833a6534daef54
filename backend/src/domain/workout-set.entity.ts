import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Exercise } from './exercise.entity.js';
import { Session } from './session.entity.js';
import { Tenant } from './tenant.entity.js';

/** One set within a session (table `sets`; `Set` would shadow the built-in). */
@Entity({ name: 'sets' })
export class WorkoutSet {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Index()
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<Session>;

  @Index()
  @Column({ name: 'exercise_id', type: 'uuid' })
  exerciseId: string;

  @ManyToOne(() => Exercise, { nullable: false })
  @JoinColumn({ name: 'exercise_id' })
  exercise?: Relation<Exercise>;

  @Column({ name: 'set_index', type: 'integer' })
  setIndex: number;

  @Column({ type: 'integer', nullable: true })
  reps: number | null;

  @Column({ name: 'weight_kg', type: 'numeric', precision: 7, scale: 2, nullable: true })
  weightKg: string | null;

  @Column({ name: 'duration_s', type: 'integer', nullable: true })
  durationS: number | null;

  @Column({ name: 'distance_m', type: 'numeric', precision: 9, scale: 2, nullable: true })
  distanceM: string | null;

  @Column({ type: 'numeric', precision: 3, scale: 1, nullable: true })
  rpe: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
