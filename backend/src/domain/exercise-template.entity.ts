import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Exercise } from './exercise.entity.js';
import { Tenant } from './tenant.entity.js';

/** Global or tenant-owned, as exercises. */
@Entity({ name: 'exercise_templates' })
export class ExerciseTemplate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @ManyToOne(() => Tenant, { nullable: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'exercise_id', type: 'uuid' })
  exerciseId: string;

  @ManyToOne(() => Exercise, { nullable: false })
  @JoinColumn({ name: 'exercise_id' })
  exercise?: Relation<Exercise>;

  @Column({ name: 'default_sets', type: 'integer' })
  defaultSets: number;

  @Column({ name: 'default_reps', type: 'integer' })
  defaultReps: number;

  @Column({ name: 'default_weight_kg', type: 'numeric', precision: 7, scale: 2, nullable: true })
  defaultWeightKg: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
