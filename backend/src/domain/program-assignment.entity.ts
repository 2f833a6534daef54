import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Program } from './program.entity.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';

export const ASSIGNMENT_STATUSES = ['active', 'completed', 'cancelled'] as const;

@Entity({ name: 'program_assignments' })
@Check('ck_program_assignments_status', `"status" IN ('active', 'completed', 'cancelled')`)
export class ProgramAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Program, { nullable: false })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  @Column({ type: 'text' })
  status: (typeof ASSIGNMENT_STATUSES)[number];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
