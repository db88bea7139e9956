import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users_view')
export class UserView {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('text') email: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { array: true }) roles: string[];
  @Column('date', { name: 'date_of_birth', nullable: true }) dateOfBirth: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
}
