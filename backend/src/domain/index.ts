import { Equipment } from './equipment.entity.js';
import { ExerciseTemplate } from './exercise-template.entity.js';
import { Exercise } from './exercise.entity.js';
import { ProgramAssignment } from './program-assignment.entity.js';
import { Program } from './program.entity.js';
import { Session } from './session.entity.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { WorkoutSet } from './workout-set.entity.js';
import { Workout } from './workout.entity.js';

export { Equipment, Exercise, ExerciseTemplate, Program, ProgramAssignment, Session, Tenant, User, Workout, WorkoutSet };
export { USER_ROLES, type UserRole } from './user.entity.js';

/**
 * The RYTHM data that moves. The order here only breaks ties in the table graph's topological
 * sort; references decide the rest.
 */
export const DOMAIN_ENTITIES = [Tenant, Equipment, Exercise, ExerciseTemplate, User, Program, Workout, Session, WorkoutSet, ProgramAssignment];
