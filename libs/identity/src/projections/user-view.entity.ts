import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users_view')
export class UserView {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  /** Null once the user's personal data is shredded (E3), like the display name and date of birth. */
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('text', { array: true }) roles: string[];
  @Column('date', { name: 'date_of_birth', nullable: true }) dateOfBirth: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
  /** The user's latest identity.UserDisabled has no identity.UserEnabled after it. */
  @Column('boolean', { default: false }) disabled: boolean;
}
